#!/usr/bin/env python3
"""GPU training and scoring benchmark (figures in bench/README.md): FinLabel's trainer code paths against
the original blog post's settings, measured in the same run, printed as one markdown table.

    .venv/bin/python bench/gpu_training.py            # a CUDA machine (a few minutes on one H100)
    .venv/bin/python bench/gpu_training.py --smoke    # tiny shapes on CPU: checks the script runs;
                                                      # its figures mean nothing

--smoke runs in the worker's test command (test/worker/test_gpu_benchmark_smoke.py), so the script
cannot rot. It takes CUDA's branches on the CPU (FINLABEL_WORKER_CPU_AS_CUDA=1: bf16 autocast, bf16
Qwen weights, fused AdamW), so only the device and the shapes differ from the GPU run.

Random weights of the real shapes: bert-base-chinese (12 x 768, vocab 21128, 7 tags) and Qwen2-7B
(28 x 3584, 28 heads / 4 kv heads, MLP 18944, vocab 152064). The 7B model is built on the meta
device and materialised on the GPU in bf16, so nothing 7B-sized is ever initialised on the CPU.
Every figure: warm-up first, synchronize before reading the clock, median of --repeats repeats,
random non-zero ids.

What is timed for FinLabel is the project's own code: the credit model's LoRA wrapping, train step
(label-token loss, no full-vocabulary logits) and scorer from finlabel_worker.credit, and the
optimizer / autocast / padding helpers of finlabel_worker.train_common. The BERT figure runs the
entity trainer's `train/entities` job itself (finlabel_worker.entities.train.train_entities) on
random examples, through an in-process job context: bucketing, dynamic padding, bf16 autocast, fused
AdamW and the per-step progress all included.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src" / "server" / "worker" / "python"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from finlabel_worker import train_common  # noqa: E402
from finlabel_worker.credit.model import attach_lora  # noqa: E402
from finlabel_worker.credit.params import parse_lora  # noqa: E402
from finlabel_worker.credit.score import predict_probabilities  # noqa: E402
from finlabel_worker.credit.train import train_step  # noqa: E402
from finlabel_worker.entities.train import train_entities  # noqa: E402
from finlabel_worker.job import JobContext  # noqa: E402

GiB = 1024**3
A10_BYTES = 24 * GiB
LABEL_TOKEN_IDS = (15, 16)  # Qwen2's "0" and "1"
ENTITY_TAGS = 7  # O + B/I of three entity types


@dataclass(frozen=True)
class Shapes:
    bert: Dict[str, int]
    qwen: Dict[str, int]
    bert_project: Tuple[int, int]  # batch, longest real length (dynamic padding)
    bert_blog_post: Tuple[int, int]  # batch, padded length
    lora_project: Tuple[int, int]
    lora_blog_post: Tuple[int, int]
    score_records: int
    score_batch: int
    generate_records: int
    prompt_tokens: int
    matmul_n: int
    steps: Dict[str, int]


FULL = Shapes(
    bert={"vocab_size": 21128, "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072},
    qwen={"vocab_size": 152064, "hidden_size": 3584, "num_hidden_layers": 28, "num_attention_heads": 28, "num_key_value_heads": 4, "intermediate_size": 18944},
    bert_project=(256, 96),
    bert_blog_post=(8, 256),
    lora_project=(64, 96),
    lora_blog_post=(2, 512),
    score_records=1024,
    score_batch=128,
    generate_records=6,
    prompt_tokens=96,
    matmul_n=8192,
    steps={"bert_project": 5, "bert_blog_post": 20, "lora_project": 3, "lora_blog_post": 5},
)

SMOKE = replace(
    FULL,
    bert={"vocab_size": 21128, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 128},
    qwen={"vocab_size": 152064, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 128},
    bert_project=(32, 96),
    bert_blog_post=(8, 256),
    lora_project=(16, 96),
    lora_blog_post=(2, 512),
    score_records=64,
    score_batch=32,
    generate_records=2,
    matmul_n=512,
    steps={"bert_project": 2, "bert_blog_post": 2, "lora_project": 2, "lora_blog_post": 2},
)


def log(message: str) -> None:
    print(f"[gpu_training] {message}", file=sys.stderr, flush=True)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def median_seconds(fn: Callable[[], Any], device: torch.device, repeats: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    synchronize(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        synchronize(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def release(device: torch.device) -> None:
    import gc

    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)


def peak_gib(device: torch.device) -> Optional[float]:
    return torch.cuda.max_memory_allocated(device) / GiB if device.type == "cuda" else None


# ---- the hardware limit ---------------------------------------------------------------------------


def matmul_limit(device: torch.device, n: int, repeats: int) -> Tuple[float, str]:
    """FLOP/s of a large matrix product: bf16 on CUDA (the limit LoRA training is measured against),
    fp32 on CPU (smoke only)."""
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    inner = 10

    def run() -> None:
        for _ in range(inner):
            torch.mm(a, b)

    seconds = median_seconds(run, device, repeats)
    return inner * 2 * n**3 / seconds, "bf16" if dtype == torch.bfloat16 else "fp32"


# ---- BERT entity training -------------------------------------------------------------------------


def bert_model(shapes: Shapes, device: torch.device) -> Any:
    from transformers import BertConfig, BertForTokenClassification

    torch.manual_seed(0)
    config = BertConfig(**shapes.bert, num_labels=ENTITY_TAGS, max_position_embeddings=512)
    return BertForTokenClassification(config).to(device).train()


def entity_batch(batch: int, real_lengths: Tuple[int, int], padded: Optional[int], vocab: int, device: torch.device) -> Tuple[Any, Any, Any]:
    """Random ids of random real lengths; padded to the batch's longest (dynamic padding) or to
    `padded` (the original blog post's max_length padding). Labels are -100 on padding, as the trainer sets them."""
    lengths = torch.randint(real_lengths[0], real_lengths[1] + 1, (batch,)).tolist()
    sequences = [torch.randint(1000, vocab, (n,)).tolist() for n in lengths]
    ids = train_common.pad_batch(sequences, 0, device)
    if padded is not None:
        ids = F.pad(ids, (0, padded - ids.shape[1]), value=0)
    positions = torch.arange(ids.shape[1], device=device)
    mask = (positions[None, :] < torch.tensor(lengths, device=device)[:, None]).long()
    labels = torch.randint(0, ENTITY_TAGS, ids.shape, device=device).masked_fill(mask == 0, -100)
    return ids, mask, labels


def entity_train_step(model: Any, optimizer: Any, batch: Tuple[Any, Any, Any], device: torch.device, bf16: bool) -> Any:
    """One step of the original blog post's token-classification training: fp32, a fixed padded length."""
    ids, mask, labels = batch
    with train_common.autocast(device, bf16):
        logits = model(input_ids=ids, attention_mask=mask).logits
    loss = F.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), ignore_index=-100)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.detach()


class BenchJob(JobContext):
    """The job context of a benchmark run: no server, no cancel, progress dropped."""

    job_id = "bench"

    def progress(self, phase: str, **fields: Any) -> None:
        pass

    def cancelled(self) -> bool:
        return False

    def call_server(self, method: str, params: Any, timeout: Optional[float] = None) -> Any:
        raise RuntimeError(f"the benchmark has no server to answer {method}")


def project_entity_training(shapes: Shapes, device: torch.device, epochs: int) -> float:
    """Samples/s of the real `train/entities` job on random examples of 72-96 tokens: the median of
    its per-epoch rates after the first epoch (warm-up: kernels, allocator, autotuning)."""
    import tempfile

    batch_size, longest = shapes.bert_project
    steps = shapes.steps["bert_project"] * 4
    generator = torch.Generator().manual_seed(0)
    examples = []
    for _ in range(batch_size * steps):
        n = int(torch.randint(longest * 3 // 4, longest + 1, (1,), generator=generator))
        ids = torch.randint(1000, shapes.bert["vocab_size"], (n,), generator=generator).tolist()
        labels = torch.randint(0, ENTITY_TAGS, (n,), generator=generator).tolist()
        labels[0] = labels[-1] = -100  # [CLS] and [SEP]
        examples.append({"inputIds": ids, "labelIds": labels})
    bert = shapes.bert
    with tempfile.TemporaryDirectory() as scratch:
        result = train_entities(
            {
                "jobId": "bench",
                "base": {
                    "kind": "tiny",
                    "vocabSize": bert["vocab_size"],
                    "hiddenSize": bert["hidden_size"],
                    "layers": bert["num_hidden_layers"],
                    "heads": bert["num_attention_heads"],
                    "intermediateSize": bert["intermediate_size"],
                    "maxPositions": 512,
                },
                "labels": ["O"] + [f"{bi}-T{k}" for k in range(3) for bi in ("B", "I")],
                "train": examples,
                "dev": [],
                "hyper": {"epochs": epochs, "batchSize": batch_size, "learningRate": 5e-5, "device": device.type, "patience": 0},
                "export": {"onnx": False, "quantize": False},
                "output": {"dir": str(Path(scratch) / "model"), "files": {}, "card": {}},
            },
            BenchJob(),
        )
    rates = [len(examples) / e["seconds"] for e in result["epochs"][1:]]
    return statistics.median(rates)


def bench_bert(shapes: Shapes, device: torch.device, repeats: int) -> Dict[str, float]:
    out: Dict[str, float] = {}
    vocab = shapes.bert["vocab_size"]

    log("BERT-base entity training, FinLabel's train/entities job")
    out["project"] = project_entity_training(shapes, device, epochs=max(repeats, 2) + 1)
    release(device)

    log("BERT-base entity training, blog-post style (fp32, batch 8, pad 256)")
    model = bert_model(shapes, device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    batch_size, padded = shapes.bert_blog_post
    batches = [entity_batch(batch_size, (72, 96), padded, vocab, device) for _ in range(4)]
    steps = shapes.steps["bert_blog_post"]
    seconds = median_seconds(lambda: [entity_train_step(model, optimizer, batches[i % 4], device, bf16=False) for i in range(steps)], device, repeats)
    out["blog_post"] = batch_size * steps / seconds
    del model, optimizer, batches
    release(device)
    return out


# ---- Qwen2-7B-shape LoRA training and scoring ------------------------------------------------------


def random_qwen(shapes: Shapes, device: torch.device) -> Any:
    """Qwen2 of the given shape with random bf16 weights (fp32 on CPU), built on the meta device
    and materialised where it runs."""
    from transformers import AutoModelForCausalLM, Qwen2Config

    dtype = torch.bfloat16 if train_common.uses_bf16(device, True) else torch.float32
    config = Qwen2Config(**shapes.qwen, max_position_embeddings=4096, tie_word_embeddings=False, use_cache=False)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    model.to_empty(device=device)
    generator = torch.Generator(device=device).manual_seed(0)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight"):
                parameter.fill_(1.0)
            else:
                parameter.normal_(0.0, 0.02, generator=generator)
    # to_empty leaves buffers uninitialised: rebuild the rotary frequencies.
    model.model.rotary_emb = type(model.model.rotary_emb)(config=config).to(device)
    return model


def random_prompts(count: int, length: int, vocab: int) -> List[List[int]]:
    return torch.randint(1000, vocab, (count, length)).tolist()


def lora_project_run(peft_model: Any, shapes: Shapes, device: torch.device, repeats: int) -> float:
    """Samples/s of the credit trainer's own train_step on full batches of 96-token prompts."""
    batch_size, length = shapes.lora_project
    hyper = train_common.parse_hyper({"batchSize": batch_size, "learningRate": 2e-4})
    optimizer = train_common.make_optimizer(list(peft_model.parameters()), hyper, device)
    schedule = train_common.make_schedule(optimizer, 10_000, 0.0)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    labels = torch.tensor(LABEL_TOKEN_IDS, device=device)
    vocab = shapes.qwen["vocab_size"]
    batches = []
    for _ in range(2):
        ids = torch.randint(1000, vocab, (batch_size, length), device=device)
        lengths = torch.full((batch_size,), length, device=device)
        targets = torch.randint(0, 2, (batch_size,), device=device)
        batches.append((ids, lengths, targets))
    bf16 = train_common.uses_bf16(device, True)
    steps = shapes.steps["lora_project"]
    peft_model.train()

    def run() -> None:
        for i in range(steps):
            ids, lengths, targets = batches[i % 2]
            train_step(peft_model, optimizer, schedule, trainable, ids, lengths, targets, labels, bf16)

    seconds = median_seconds(run, device, repeats)
    del optimizer, schedule
    return batch_size * steps / seconds


def lora_blog_post_run(base: Any, shapes: Shapes, device: torch.device, repeats: int) -> float:
    """The original blog post's recipe: causal-LM loss on labels = input_ids (full-vocabulary logits at every
    position), padding to 512, batch 2, lm_head in modules_to_save, plain AdamW."""
    import peft

    config = peft.LoraConfig(
        r=8, lora_alpha=32, lora_dropout=0.05, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"], modules_to_save=["lm_head"], task_type="CAUSAL_LM"
    )
    model = peft.get_peft_model(base, config).train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-4)
    batch_size, padded = shapes.lora_blog_post
    ids = torch.randint(1000, shapes.qwen["vocab_size"], (batch_size, padded), device=device)
    mask = torch.zeros_like(ids)
    mask[:, : shapes.prompt_tokens] = 1
    bf16 = train_common.uses_bf16(device, True)
    steps = shapes.steps["lora_blog_post"]

    def run() -> None:
        for _ in range(steps):
            with train_common.autocast(device, bf16):
                loss = model(input_ids=ids, attention_mask=mask, labels=ids).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)

    seconds = median_seconds(run, device, repeats)
    del optimizer, model
    return batch_size * steps / seconds


def bench_qwen(shapes: Shapes, device: torch.device, repeats: int, limit: float) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    log("building the Qwen2-7B-shape model (meta device, materialised in place)")
    base = random_qwen(shapes, device)
    vocab = shapes.qwen["vocab_size"]
    all_params = sum(p.numel() for p in base.parameters())
    matmul_params = all_params - base.get_input_embeddings().weight.numel() - base.get_output_embeddings().weight.numel()
    out["params"], out["matmul_params"] = all_params, matmul_params
    model = attach_lora(base, parse_lora({}), gradient_checkpointing=False)
    trainable, total = model.get_nb_trainable_parameters()
    out["trainable_percent"] = 100.0 * trainable / total

    log("credit scoring: one forward pass, label-token logits (FinLabel)")
    prompts = random_prompts(shapes.score_records, shapes.prompt_tokens, vocab)
    bf16 = train_common.uses_bf16(device, True)
    seconds = median_seconds(
        lambda: predict_probabilities(model, prompts, LABEL_TOKEN_IDS, device, bf16, batch_size=shapes.score_batch), device, repeats, warmup=1
    )
    out["score_project"] = len(prompts) / seconds

    log("credit scoring, blog-post style: generate(max_new_tokens=10, temperature=0.1), batch 1")
    model.eval()
    gen_prompts = [torch.tensor([p], device=device) for p in random_prompts(shapes.generate_records, shapes.prompt_tokens, vocab)]

    def generate_all() -> None:
        with torch.inference_mode():
            for ids in gen_prompts:
                model.generate(
                    input_ids=ids,
                    attention_mask=torch.ones_like(ids),
                    max_new_tokens=10,
                    min_new_tokens=10,
                    do_sample=True,
                    temperature=0.1,
                    pad_token_id=0,
                    use_cache=True,
                )

    seconds = median_seconds(generate_all, device, max(repeats // 2, 1), warmup=1)
    out["score_blog_post"] = len(gen_prompts) / seconds

    log(f"LoRA training, FinLabel settings (batch {shapes.lora_project[0]} x {shapes.lora_project[1]}, no gradient checkpointing)")
    release(device)
    out["lora_project"] = lora_project_run(model, shapes, device, repeats)
    out["lora_project_peak"] = peak_gib(device)

    if device.type == "cuda":
        log("LoRA training inside a 24 GiB cap with gradient checkpointing")
        model.get_base_model().activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
        release(device)
        total_memory = torch.cuda.get_device_properties(device).total_memory
        torch.cuda.set_per_process_memory_fraction(min(1.0, A10_BYTES / total_memory), device)
        try:
            out["lora_capped"] = lora_project_run(model, shapes, device, repeats)
            out["lora_capped_peak"] = peak_gib(device)
        except torch.cuda.OutOfMemoryError as e:
            out["lora_capped"] = None
            out["lora_capped_error"] = str(e).splitlines()[0]
        finally:
            torch.cuda.set_per_process_memory_fraction(1.0, device)
            model.get_base_model().activation_checkpointing_disable()

    log("LoRA training, blog-post style (batch 2, pad 512, causal-LM loss over the full vocabulary, lm_head trained)")
    base = model.unload()
    del model
    release(device)
    out["lora_blog_post"] = lora_blog_post_run(base, shapes, device, repeats)
    out["lora_blog_post_peak"] = peak_gib(device)
    del base
    release(device)
    return out


# ---- the table -------------------------------------------------------------------------------------


def ratio(project: Optional[float], baseline: Optional[float]) -> str:
    return f"{project / baseline:.1f}x" if project and baseline else ""


def fmt(value: Optional[float], unit: str, digits: int = 1) -> str:
    return f"{value:,.{digits}f} {unit}" if value is not None else "n/a"


def device_line(device: torch.device) -> str:
    import peft
    import transformers

    name = (
        torch.cuda.get_device_name(device)
        if device.type == "cuda"
        else f"CPU ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"
    )
    if device.type == "cpu" and train_common.cpu_as_cuda():
        name += " taking CUDA's branches (bf16 autocast, fused AdamW)"
    return f"{name}; torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}"


def table(shapes: Shapes, device: torch.device, limit: Tuple[float, str], bert: Optional[Dict[str, float]], qwen: Optional[Dict[str, Any]], smoke: bool) -> str:
    limit_flops, limit_dtype = limit
    rows = [
        "| work | FinLabel | blog-post style | ratio |",
        "|---|---|---|---|",
        f"| {limit_dtype} matrix product {shapes.matmul_n}^3 (the hardware limit) | {limit_flops / 1e12:,.1f} TFLOP/s | | |",
    ]
    if bert is not None:
        pb, pl = shapes.bert_project
        sb, sl = shapes.bert_blog_post
        rows.append(
            f"| BERT-base entity training ({shapes.bert['num_hidden_layers']} x {shapes.bert['hidden_size']}, {ENTITY_TAGS} tags) "
            f"| {fmt(bert['project'], 'samples/s')} (bf16 autocast, fused AdamW, batch {pb}, dynamic padding <= {pl}) "
            f"| {fmt(bert['blog_post'], 'samples/s')} (fp32, batch {sb}, pad {sl}) | {ratio(bert['project'], bert['blog_post'])} |"
        )
    if qwen is not None:
        pb, pl = shapes.lora_project
        sb, sl = shapes.lora_blog_post
        shape = f"{shapes.qwen['num_hidden_layers']} x {shapes.qwen['hidden_size']}, {qwen['params'] / 1e9:.3g}B params"
        tokens = qwen["lora_project"] * pl
        blog_post_tokens = qwen["lora_blog_post"] * shapes.prompt_tokens  # real tokens; the rest of the 512 is padding
        fraction_all = 4 * qwen["params"] * tokens / limit_flops
        fraction_run = 4 * qwen["matmul_params"] * tokens / limit_flops
        rows += [
            f"| Qwen2-7B-shape LoRA training, r=8 on q,k,v,o ({shape}; {qwen['trainable_percent']:.3f}% trainable) "
            f"| {fmt(qwen['lora_project'], 'samples/s')} = {tokens:,.0f} tokens/s (bf16, batch {pb} x {pl}, label-token loss) "
            f"| {fmt(qwen['lora_blog_post'], 'samples/s')} = {blog_post_tokens:,.0f} prompt tokens/s (batch {sb}, pad {sl}, full-vocab loss, lm_head trained) "
            f"| {ratio(qwen['lora_project'], qwen['lora_blog_post'])} |",
            f"| LoRA training, fraction of the {limit_dtype} matmul limit (4 x params x tokens) "
            f"| {100 * fraction_all:.1f}% counting all {qwen['params'] / 1e9:.3g}B params (PERFORMANCE.md's count); "
            f"{100 * fraction_run:.1f}% counting the {qwen['matmul_params'] / 1e9:.3g}B in matrix products per token "
            "(embedding lookup and the skipped head left out) | | |",
            f"| LoRA training peak memory (max_memory_allocated) | {fmt(qwen['lora_project_peak'], 'GiB')} (batch {pb} x {pl}, no checkpointing) "
            f"| {fmt(qwen['lora_blog_post_peak'], 'GiB')} | |",
        ]
        if "lora_capped" in qwen:
            capped = (
                f"{fmt(qwen['lora_capped'], 'samples/s')}, peak {fmt(qwen['lora_capped_peak'], 'GiB')}"
                if qwen["lora_capped"] is not None
                else f"out of memory ({qwen['lora_capped_error']})"
            )
            rows.append(f"| LoRA training in a 24 GiB cap (set_per_process_memory_fraction), gradient checkpointing, batch {pb} x {pl} | {capped} | | |")
        else:
            rows.append("| LoRA training in a 24 GiB cap, gradient checkpointing | n/a (no CUDA) | | |")
        rows.append(
            f"| Qwen2-7B-shape credit scoring, {shapes.prompt_tokens}-token prompts "
            f"| {fmt(qwen['score_project'], 'records/s')} (one forward, batch {shapes.score_batch}, logits of 2 label tokens) "
            f"| {fmt(qwen['score_blog_post'], 'records/s', 2)} (generate 10 tokens, batch 1) | {ratio(qwen['score_project'], qwen['score_blog_post'])} |"
        )
    heading = f"{'SMOKE RUN (tiny shapes on CPU; figures meaningless)' if smoke else 'GPU training and scoring'} on {device_line(device)}, median of repeats"
    return "\n".join([heading, ""] + rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny shapes on the CPU, to check the script runs")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per figure (median); default 5, 2 with --smoke")
    parser.add_argument("--parts", default="bert,qwen", help="comma-separated: bert, qwen")
    args = parser.parse_args()

    shapes = SMOKE if args.smoke else FULL
    repeats = args.repeats or (2 if args.smoke else 5)
    if args.smoke:
        device = torch.device("cpu")
        os.environ[train_common.CPU_AS_CUDA_ENV] = "1"
    elif torch.cuda.is_available():
        device = torch.device("cuda")
    else:
        sys.exit("gpu_training.py needs a CUDA GPU; use --smoke to check it on the CPU")
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    torch.manual_seed(0)

    log("bf16 matrix-product limit" if device.type == "cuda" else "fp32 matrix-product rate (smoke)")
    limit = matmul_limit(device, shapes.matmul_n, repeats)
    release(device)
    bert = bench_bert(shapes, device, repeats) if "bert" in parts else None
    qwen = bench_qwen(shapes, device, repeats, limit[0]) if "qwen" in parts else None
    print(table(shapes, device, limit, bert, qwen, args.smoke))


if __name__ == "__main__":
    main()

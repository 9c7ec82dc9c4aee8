"""The small CPU entity model: a character BiLSTM tagger built from random weights.

Trained from scratch on a few hundred to a few thousand sentences, it learns far more per CPU second
than a BERT of the same size (bench/README.md, "small CPU model"): a transformer from random weights
must first learn attention patterns that a recurrent layer has built in. Pretrained bases keep the
BERT-family path (model.py).

Shape: token embeddings, one width-3 convolution, one forward and one backward LSTM, a linear layer to
the BIO labels, and a CRF over them (crf.py): transition scores between neighbouring tags, trained on
the likelihood of whole tag sequences. The logits stay the graph's only output; the transition scores
go to crf.json beside it, and the server's decoder adds them. With "word_boundaries": true it also
reads where each token sits in a word (word_boundary_ids: begin, middle, end, whole word, from the
server's segmenter) as a second embedding added to the token's. Training drops whole tokens
(token_dropout: a token's embedding is zeroed) and 50% of activations, so names and places are learnt
from their context rather than memorised. It takes the same inputs as the BERT classifiers (input_ids,
attention_mask), and word_boundary_ids when built with them, and returns logits, so the export and the
predictor serve it as they serve a BERT.

Older folders load and predict as they were trained, by the flags in their config.json: without
"crf": true they have no CRF (the decoder reads their logits alone), and those of the first version also
add hashed embeddings of each token with its right neighbour (bigrams, true or absent): on 1,000
CLUENER sentences that 50,021-row table memorised the training set, and the model without it, twice as
wide, learnt more (bench/README.md, "small CPU model").

The backward LSTM reads each row reversed within its own length (a gather, not packed sequences), so
right padding never reaches a real token and the graph exports to plain ONNX (LSTM, GatherElements).
It is a transformers PreTrainedModel registered under its own model_type: save_pretrained writes
config.json and model.safetensors, and AutoModelForTokenClassification loads it with
trust_remote_code off (the class is this file, not code from the folder).
"""

from typing import Any, Optional

from ..imports import require
from .crf import Crf

MODEL_TYPE = "finlabel-bilstm"
BIGRAM_BUCKETS = 50021  # a prime; bigrams hash into this many rows
BIGRAM_MULTIPLIER = 7919
# word_boundary_ids: 0 special token or padding, 1 begins a word, 2 inside one, 3 ends one, 4 a whole word
# (the server's wordSegmenter.ts).
WORD_BOUNDARY_TAGS = 5

_registered: Optional[Any] = None


def classes() -> Any:
    """(Config, Model) classes, built and registered with the Auto classes on first use (torch and
    transformers are imported late, as everywhere in the worker)."""
    global _registered
    if _registered is not None:
        return _registered
    torch = require("torch")
    transformers = require("transformers")
    nn = torch.nn

    class CharBiLstmConfig(transformers.PretrainedConfig):
        model_type = MODEL_TYPE

        # The defaults are those of the first version (a folder's config.json written then has no bigrams
        # or token_dropout); build() sets today's recipe.
        def __init__(
            self,
            vocab_size: int = 21128,
            hidden_size: int = 128,
            dropout: float = 0.3,
            pad_token_id: int = 0,
            bigrams: bool = True,
            token_dropout: float = 0.0,
            crf: bool = False,
            word_boundaries: bool = False,
            **kwargs: Any,
        ) -> None:
            super().__init__(pad_token_id=pad_token_id, **kwargs)
            self.vocab_size = vocab_size
            self.hidden_size = hidden_size
            self.dropout = dropout
            self.bigrams = bigrams
            self.token_dropout = token_dropout
            self.crf = crf
            self.word_boundaries = word_boundaries

    class CharBiLstmForTokenClassification(transformers.PreTrainedModel):
        config_class = CharBiLstmConfig
        base_model_prefix = "tagger"

        def __init__(self, config: CharBiLstmConfig) -> None:
            super().__init__(config)
            h = config.hidden_size
            self.embeddings = nn.Embedding(config.vocab_size, h, padding_idx=config.pad_token_id)
            self.bigrams = nn.Embedding(BIGRAM_BUCKETS, h) if config.bigrams else None
            self.word_boundaries = nn.Embedding(WORD_BOUNDARY_TAGS, h, padding_idx=0) if config.word_boundaries else None
            self.conv = nn.Conv1d(h, h, 3, padding=1)
            self.forward_lstm = nn.LSTM(h, h, batch_first=True)
            self.backward_lstm = nn.LSTM(h, h, batch_first=True)
            self.dropout = nn.Dropout(config.dropout)
            self.classifier = nn.Linear(2 * h, config.num_labels)
            if config.crf:
                self.crf_start = nn.Parameter(torch.zeros(config.num_labels))
                self.crf_end = nn.Parameter(torch.zeros(config.num_labels))
                self.crf_transitions = nn.Parameter(torch.zeros(config.num_labels, config.num_labels))
            self.post_init()

        def crf_layer(self) -> Optional[Crf]:
            """The transition scores over this model's logits, for a model trained with a CRF."""
            return Crf(self.crf_start, self.crf_end, self.crf_transitions) if self.config.crf else None

        def _init_weights(self, module: Any) -> None:
            pass  # PyTorch's own initialisation of each layer, as built

        def forward(self, input_ids: Any, attention_mask: Optional[Any] = None, word_boundary_ids: Optional[Any] = None, **_: Any) -> Any:
            if attention_mask is None:
                attention_mask = torch.ones_like(input_ids)
            mask = attention_mask.unsqueeze(-1).to(self.embeddings.weight.dtype)
            x = self.embeddings(input_ids)
            if self.word_boundaries is not None:
                if word_boundary_ids is None:
                    raise ValueError("this model reads where words begin and end: word_boundary_ids is required")
                x = x + self.word_boundaries(word_boundary_ids)
            if self.bigrams is not None:
                following = torch.cat([input_ids[:, 1:], torch.zeros_like(input_ids[:, :1])], dim=1)
                x = x + self.bigrams((input_ids * BIGRAM_MULTIPLIER + following) % BIGRAM_BUCKETS)
            if self.training and self.config.token_dropout > 0:
                x = x * (torch.rand(input_ids.shape, device=x.device) >= self.config.token_dropout).unsqueeze(-1).to(x.dtype)
            x = x * mask
            x = x + torch.relu(self.conv(x.transpose(1, 2))).transpose(1, 2) * mask
            x = self.dropout(x)
            forward_states, _ = self.forward_lstm(x)
            order = _reverse_within_length(torch, attention_mask).unsqueeze(-1).expand_as(x)
            backward_states, _ = self.backward_lstm(torch.gather(x, 1, order))
            backward_states = torch.gather(backward_states, 1, order)  # the reversal undoes itself
            logits = self.classifier(self.dropout(torch.cat([forward_states, backward_states], dim=-1)))
            return transformers.modeling_outputs.TokenClassifierOutput(logits=logits)

    transformers.AutoConfig.register(MODEL_TYPE, CharBiLstmConfig)
    transformers.AutoModelForTokenClassification.register(CharBiLstmConfig, CharBiLstmForTokenClassification)
    _registered = (CharBiLstmConfig, CharBiLstmForTokenClassification)
    return _registered


def _reverse_within_length(torch: Any, attention_mask: Any) -> Any:
    """[batch, seq] positions: row b reads its first len_b tokens backwards, then its padding in place."""
    lengths = attention_mask.sum(dim=1, keepdim=True)
    positions = torch.arange(attention_mask.shape[1], device=attention_mask.device).unsqueeze(0)
    return torch.where(positions < lengths, lengths - 1 - positions, positions)


# Today's recipe regularises for a few hundred to a few thousand sentences; the server lightens it for
# larger sets (scratchSchedule.ts, bench/README.md "small CPU model").
DEFAULT_DROPOUT = 0.5
DEFAULT_TOKEN_DROPOUT = 0.1


def build(
    vocab_size: int,
    hidden_size: int,
    labels: Any,
    dropout: float = DEFAULT_DROPOUT,
    token_dropout: float = DEFAULT_TOKEN_DROPOUT,
    word_boundaries: bool = False,
) -> Any:
    """A new model of today's recipe: a CRF over the tags, no bigram table, the given dropout of
    activations and of whole tokens, and with word_boundaries an embedding of where each token sits
    in a word added to its own."""
    config_class, model_class = classes()
    config = config_class(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        dropout=dropout,
        bigrams=False,
        token_dropout=token_dropout,
        crf=True,
        word_boundaries=word_boundaries,
        **labels,
    )
    return model_class(config)


def reads_word_boundaries(model_or_config: Any) -> bool:
    """Whether the model takes word_boundary_ids beside input_ids (a BiLSTM built with them)."""
    config = getattr(model_or_config, "config", model_or_config)
    return bool(getattr(config, "word_boundaries", False))


def crf_of(model: Any) -> Optional[Crf]:
    """The model's CRF, or None for a model that scores tokens alone (every BERT; a BiLSTM whose
    config.json has no "crf": true, as those trained before the CRF came)."""
    layer = getattr(model, "crf_layer", None)
    return layer() if callable(layer) else None

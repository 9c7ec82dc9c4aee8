"""The names inside a credit model folder: what the trainer writes and the scorer reads."""

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
CARD = "card.json"
# Inside a model folder trained on a tiny base: the base's own weights, since they are random.
TINY_BASE_FOLDER = "base"
# The trainer's own names, which output.files (the server's files) may not take.
TRAINER_NAMES = (ADAPTER_CONFIG, ADAPTER_WEIGHTS, CARD, TINY_BASE_FOLDER)

"""The entity extractor: a BERT-family token classifier over the server's token ids (BIO label ids)."""

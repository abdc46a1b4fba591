"""hfmap: a Hugging Face inference provider's model mappings, kept as code."""

__version__ = "0.2.0"

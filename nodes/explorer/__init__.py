"""The explorer agent's nodes: tool gate, offline and model brains, per-source walks, prompts, manifest."""

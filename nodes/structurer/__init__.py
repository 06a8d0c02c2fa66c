"""The structurer agent's nodes: parse, entries, tree paths (offline or model), prompts, checks, patterns."""

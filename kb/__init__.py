"""The knowledge base: data model, stores, forum and scrubbing. Imports nothing of LangChain."""

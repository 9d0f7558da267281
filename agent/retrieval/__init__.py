"""Timeline memory: client timeline entries embedded into a Chroma vector index, derived from the database.

Modules (heavy libraries — torch, sentence-transformers, chromadb — are imported lazily, on first use):
  config      where the index lives and which embedding model fills it, read from Settings
  embeddings  the sentence-embedding models (all-MiniLM-L6-v2 offline, or OpenAI), loaded once per process
  documents   a timeline entry as the index stores it: id, text to embed, filterable metadata, content hash
  index       the Chroma collection: open (embedded or server), upsert, delete, query, repair when corrupt
  sync        keeping the index in step with the database: after-commit sync, rebuild, verify (drift)
  guard       the domain re-check every hit passes before it reaches the agent
  search      semantic_search (metadata filter, then domain check) and the searcher injected into tools
  evaluate    recall@k of a labelled question set over the demo tenant
"""

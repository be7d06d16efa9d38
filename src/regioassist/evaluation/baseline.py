"""The naive baseline every report compares against.

llama-index's defaults, nothing of ours but the embedding model: the raw text
split by ``SentenceSplitter`` (1,024 tokens, 200 overlap), dense retrieval
only from an in-memory ``VectorStoreIndex``, and the top three passages pasted
as the answer. It sees the question alone: no filters, no conversation, and it
never declines. Each of its passages stands for every agenda item it
overlaps (a 1,024-token passage spans several), in document order, so
retrieval is scored at the same level as ours and the baseline gets the
benefit of the doubt.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regioassist.embedding import Embedder
from regioassist.evaluation.metrics import Ref

ANSWER_PASSAGES = 3


def llama_embedding(embedder: Embedder):
    """Our embedder as a llama-index ``BaseEmbedding`` (prefixes applied by ours)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding

    class _Adapter(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed([query], kind="query")[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed([text], kind="passage")[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts, kind="passage").tolist()

    return _Adapter(model_name="regioassist-embedder", embed_batch_size=16)


@dataclass(frozen=True)
class BaselineAnswer:
    ranked: tuple[Ref, ...]
    answer: str
    cited: tuple[Ref, ...]


class NaiveBaseline:
    """Default llama-index RAG over the same documents with the same embedding model."""

    def __init__(self, embedder: Embedder, documents_dir: Path, top_k: int = 10) -> None:
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from regioassist.ingest import expand_paths
        from regioassist.readers import read_document
        from regioassist.structure import parse_document

        files, _ = expand_paths([documents_dir])
        documents, self._sections = [], {}
        for path in files:
            parsed = parse_document(read_document(path))
            starts = [s.start for s in parsed.sections]
            self._sections[path.name] = (starts, [s.title for s in parsed.sections], parsed.sections)
            documents.append(Document(text=parsed.text, metadata={"source": path.name}))
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        index = VectorStoreIndex(nodes, embed_model=llama_embedding(embedder))
        self._retriever = index.as_retriever(similarity_top_k=top_k)

    def _refs(self, node: Any) -> list[Ref]:
        """Every section the passage overlaps; the header block counts as the document itself."""
        source = node.metadata["source"]
        starts, titles, sections = self._sections[source]
        first = max(bisect_right(starts, node.start_char_idx or 0) - 1, 0)
        last = max(bisect_right(starts, max((node.end_char_idx or 1) - 1, 0)) - 1, first)
        return [
            Ref(source, None if sections[i].kind == "preamble" else titles[i]) for i in range(first, last + 1)
        ]

    def ask(self, question: str) -> BaselineAnswer:
        results = self._retriever.retrieve(question)
        ranked = tuple(ref for r in results for ref in self._refs(r.node))
        top = results[:ANSWER_PASSAGES]
        answer = "\n\n".join(f"{r.node.get_content().strip()} [{i}]" for i, r in enumerate(top, start=1))
        cited = tuple(ref for r in top for ref in self._refs(r.node))
        return BaselineAnswer(ranked=ranked, answer=answer, cited=cited)

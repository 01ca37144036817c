"""The pipeline: the stages composed. `compose.prepare` takes one article to its validated graph
(a pure function, so any executor can map it); `compose.ingest` runs it over many articles on an
executor (`executors`: worker processes or a Dask cluster) and stores the graphs in input order;
`bulk` extracts to N-Quads files without a store and loads such files later.
"""

from peelgraph.pipeline.compose import ArticleResult, IngestSummary, ingest, prepare

__all__ = ["ArticleResult", "IngestSummary", "ingest", "prepare"]

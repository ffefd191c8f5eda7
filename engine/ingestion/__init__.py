"""Ingestion: a Docusaurus build (`build`) or docs folder of Markdown and MDX (`docusaurus`)
read into pages, sections and chunks, written into the book's collection (`writer`).
`bookchat ingest` is its front end."""

from engine.ingestion.writer import IngestOptions, Ingestor, IngestReport, ingest

__all__ = ["IngestOptions", "IngestReport", "Ingestor", "ingest"]

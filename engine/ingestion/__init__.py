"""Ingestion: a Docusaurus docs folder read into chunks (`docusaurus`) and written into the
book's collection (`writer`). `bookchat ingest` is its front end."""

from engine.ingestion.writer import IngestOptions, Ingestor, IngestReport, ingest

__all__ = ["IngestOptions", "IngestReport", "Ingestor", "ingest"]

"""Helpers the tests share: fake servers, processes, the test book, settings."""

"""How `bookchat serve` runs: the event loop, and the start-up objects frozen for the GC."""

from __future__ import annotations


def test_serve_runs_on_uvloop_with_start_up_objects_frozen() -> None:
    import gc

    import uvloop

    from cli.main import serving_loop
    from service.app import GC_THRESHOLDS, freeze_startup_objects

    assert serving_loop() is uvloop.new_event_loop
    before = gc.get_threshold()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)

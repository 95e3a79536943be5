"""Runnable examples; every one is executed by the test suite (``tests/test_examples.py``)."""

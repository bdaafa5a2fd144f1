"""Helpers that tests of several apps share."""

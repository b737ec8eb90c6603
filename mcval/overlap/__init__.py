"""Overlap and gap detection across proposals, library badges and certifications."""

from mcval.overlap.analysis import OverlapReport, Thresholds, analyze_repository

__all__ = ["OverlapReport", "Thresholds", "analyze_repository"]

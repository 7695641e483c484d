"""Tests of the Anova cloud client."""

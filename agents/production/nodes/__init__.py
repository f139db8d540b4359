"""The production graph's nodes, grouped by stage. ``agents/graph.py`` only wires them together."""

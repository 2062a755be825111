"""Published DfE benchmarks: the release CSVs, statistical neighbours, and a council's figures beside them."""

from cpkit.benchmarks.compare import compare
from cpkit.benchmarks.mapping import lait_polarity_differences, measure_info, normalise_label
from cpkit.benchmarks.neighbours import (
    find_neighbour_models,
    neighbours_of,
    read_neighbour_model,
    statistical_neighbours,
)
from cpkit.benchmarks.read import BenchmarkError, load_benchmarks

__all__ = [
    "BenchmarkError",
    "compare",
    "find_neighbour_models",
    "lait_polarity_differences",
    "load_benchmarks",
    "measure_info",
    "neighbours_of",
    "normalise_label",
    "read_neighbour_model",
    "statistical_neighbours",
]

"""Run Social Finance's cs-demand-model on a folder of SSDA903 returns (one sub-folder per year).

Runs inside the benchmark's own environment (``.venv-csdm``: cs-demand-model pins pandas<2, so it cannot
share cpkit's). Not part of cpkit; ``benchmarks/bench_forecast.py`` calls it with:

    python csdm_runner.py FOLDER CONFIG.json

CONFIG holds the reference period (start, end), the prediction date and the placement groups (the DfE's,
as cpkit uses, so both models are compared on the same groups). Prints one JSON object: group -> children
predicted in care on the prediction date (the model's own age brackets and rules otherwise unchanged).
"""

import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import yaml
from cs_demand_model import DemandModellingDataContainer, ModelPredictor, PopulationStats
from cs_demand_model.config import Config
from cs_demand_model.config._configuration_loader import DEFAULT_CONFIG_PATH
from cs_demand_model.datastore import fs_datastore


def model_config(groups: dict, folder: Path) -> tuple[Path, dict]:
    """The model's standard configuration with the DfE placement groups as its placement categories;
    and the category names back to the group labels."""
    standard = yaml.safe_load(Path(DEFAULT_CONFIG_PATH).read_text())
    cats, names = {}, []
    for i, (label, codes) in enumerate(groups.items()):
        name = "OTHER" if label == "Other placements" else f"G{i}"
        cats[name] = {"label": label, "placement_types": list(codes)}
        names.append(name)
    standard["config"]["PlacementCategories"] = cats
    for bracket in standard["config"]["AgeBrackets"].values():
        bracket["categories"] = [n for n in names if n != "OTHER"]
    standard["config"]["costs"] = {}
    path = folder / "csdm-config.yaml"
    path.write_text(yaml.safe_dump(standard))
    return path, {n: c["label"] for n, c in cats.items()}


def main() -> None:
    folder, settings = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    day = lambda s: datetime.strptime(s, "%Y-%m-%d")  # noqa: E731
    start, end, target = day(settings["start"]), day(settings["end"]), day(settings["predict"])
    with tempfile.TemporaryDirectory() as tmp:
        path, labels = model_config(settings["groups"], Path(tmp))
        config = Config(path)
        dc = DemandModellingDataContainer(fs_datastore(str(folder)), config)
        stats = PopulationStats(dc.enriched_view, config)
        predictor = ModelPredictor.from_model(stats, start, end)
        predicted = predictor.predict((target - end).days)
    last = predicted.iloc[-1]
    out = {}
    for (_, category), value in last.items():
        name = getattr(category, "name", str(category))
        if name in labels:  # not the model's "not in care" state
            out[labels[name]] = out.get(labels[name], 0.0) + float(value)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

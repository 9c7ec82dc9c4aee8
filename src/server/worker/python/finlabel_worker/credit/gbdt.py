"""`baseline/gbdt`: the credit evaluation's gradient-boosted trees baseline (LightGBM).

The server sends the design matrix it built from the model's training split with the same features
and the same imputation as its logistic baseline (numbers as imputed, categories as codes, -1 for a
category not seen in training, which LightGBM treats as missing), the 0/1 labels, and the rows to
score. The number of boosting rounds is chosen by stratified 5-fold cross-validation on the training
split alone (early stopping on AUC), then one model is fitted on the whole split. Deterministic:
fixed seed, `deterministic=True`, one thread. The metrics stay on the server: this answers
probabilities and the trees' own feature importances (total gain), nothing else."""

import math
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Tuple

from ..errors import invalid
from ..imports import require
from .params import require_dict

MAX_ROUNDS = 2000
EARLY_STOPPING = 50
FOLDS = 5


@dataclass(frozen=True)
class GbdtParams:
    columns: List[str]
    categorical: List[int]
    train_x: List[List[float]]
    train_y: List[int]
    predict_x: List[List[float]]
    seed: int


def _matrix(value: Any, field: str, width: int) -> List[List[float]]:
    if not isinstance(value, list):
        raise invalid(f"{field} must be a list of rows")
    rows: List[List[float]] = []
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != width:
            raise invalid(f"{field}[{i}] must be a list of {width} numbers (one per column)")
        out = []
        for j, v in enumerate(row):
            if v is None:
                out.append(math.nan)
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                out.append(float(v))
            else:
                raise invalid(f"{field}[{i}][{j}] must be a finite number or null (got {v!r})")
        rows.append(out)
    return rows


def parse_gbdt_params(params: Any) -> GbdtParams:
    p = require_dict(params, "params")
    columns = p.get("columns")
    if not isinstance(columns, list) or not columns:
        raise invalid("columns must be a non-empty list of {name, categorical}")
    names: List[str] = []
    categorical: List[int] = []
    for k, c in enumerate(columns):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not isinstance(c.get("categorical"), bool):
            raise invalid(f"columns[{k}] must be {{name: string, categorical: boolean}}")
        names.append(c["name"])
        if c["categorical"]:
            categorical.append(k)
    train_x = _matrix(p.get("trainX"), "trainX", len(names))
    train_y = p.get("trainY")
    if not isinstance(train_y, list) or len(train_y) != len(train_x) or any(y not in (0, 1) or isinstance(y, bool) for y in train_y):
        raise invalid(f"trainY must be a list of {len(train_x)} labels, each 0 or 1")
    if len(set(train_y)) < 2:
        raise invalid("trainY holds one class only: a classifier needs both")
    seed = p.get("seed", 42)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise invalid("seed must be an integer")
    return GbdtParams(names, categorical, train_x, list(train_y), _matrix(p.get("predictX"), "predictX", len(names)), seed)


def _settings(seed: int, rows: int) -> Dict[str, Any]:
    return {
        "objective": "binary",
        "metric": "auc",
        "learning_rate": 0.05,
        "num_leaves": 15,
        # Small tables (a hundred firms) get leaves of a few rows rather than none.
        "min_data_in_leaf": max(5, min(20, rows // 20)),
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 1,
        "verbosity": -1,
    }


def stratified_folds(labels: Sequence[int], folds: int, seed: int) -> List[Tuple[Any, Any]]:
    """(train, validation) row indexes of `folds` folds, each class shuffled (seeded) and dealt round
    robin, so every fold holds both classes in the table's proportion (no scikit-learn needed)."""
    np = require("numpy")
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(labels), dtype=np.int64)
    y = np.asarray(labels)
    for cls in (0, 1):
        members = rng.permutation(np.flatnonzero(y == cls))
        fold_of[members] = np.arange(len(members)) % folds
    return [(np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)) for k in range(folds)]


def fit_gbdt(p: GbdtParams) -> Dict[str, Any]:
    lgb = require("lightgbm")
    np = require("numpy")
    started = time.perf_counter()
    x = np.asarray(p.train_x, dtype=np.float64)
    y = np.asarray(p.train_y, dtype=np.float64)
    settings = _settings(p.seed, len(p.train_y))
    data = lgb.Dataset(x, label=y, feature_name=[f"f{k}" for k in range(len(p.columns))], categorical_feature=p.categorical, free_raw_data=False)
    folds = min(FOLDS, int(min(y.sum(), len(y) - y.sum())))
    cv_auc = None
    if folds >= 2:
        cv = lgb.cv(
            settings,
            data,
            num_boost_round=MAX_ROUNDS,
            folds=stratified_folds(p.train_y, folds, p.seed),
            callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)],
        )
        curve = cv["valid auc-mean"]
        rounds = len(curve)
        cv_auc = float(curve[-1])
    else:
        rounds = 100
    booster = lgb.train(settings, data, num_boost_round=rounds)
    probabilities = booster.predict(np.asarray(p.predict_x, dtype=np.float64).reshape(len(p.predict_x), len(p.columns))) if p.predict_x else []
    gains = booster.feature_importance(importance_type="gain")
    splits = booster.feature_importance(importance_type="split")
    return {
        "probabilities": [float(v) for v in probabilities],
        "importances": [{"column": name, "gain": float(g), "splits": int(s)} for name, g, s in zip(p.columns, gains, splits)],
        "rounds": rounds,
        "folds": folds if folds >= 2 else 0,
        "cvAuc": cv_auc,
        "settings": {k: v for k, v in settings.items() if k not in ("verbosity", "force_row_wise", "metric")},
        "lightgbmVersion": lgb.__version__,
        "seconds": time.perf_counter() - started,
    }


def gbdt_baseline(params: Any) -> Dict[str, Any]:
    return fit_gbdt(parse_gbdt_params(params))

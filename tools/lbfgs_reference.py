#!/usr/bin/python3
"""The reference for LbfgsTrainingTest: scikit-learn's L-BFGS optimum of the same regularised log loss.

The parameter server minimises mean log loss + alpha * ||w||^2 / 2 on features standardised with the mean and
population standard deviation of all the training rows; scikit-learn's LogisticRegression minimises the same
objective with C = 1 / (alpha * n). Run from the repository root with Debian's python3-sklearn:

    /usr/bin/python3 tools/lbfgs_reference.py breast-cancer 0.01 data
    /usr/bin/python3 tools/lbfgs_reference.py diabetes-like 0.0001 ../shared/datasets

It writes server/src/test/resources/reference/lbfgs-<dataset>.json.
"""
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression

name, alpha, root = sys.argv[1], float(sys.argv[2]), sys.argv[3]
folder = f"{root}/{name}/chimera_train_data/w1"
x = pd.read_csv(f"{folder}/X_train.csv").to_numpy(dtype=float)
y = pd.read_csv(f"{folder}/y_train.csv").to_numpy(dtype=float).ravel()
scale = x.std(axis=0)
scale[scale == 0] = 1
z = (x - x.mean(axis=0)) / scale
n = len(y)
model = LogisticRegression(C=1 / (alpha * n), solver="lbfgs", tol=1e-12, max_iter=100000).fit(z, y)
out = {
    "dataset": name,
    "alpha": alpha,
    "rows": n,
    "sklearn": sklearn.__version__,
    "iterations": int(model.n_iter_[0]),
    "weights": model.coef_.ravel().tolist(),
    "bias": float(model.intercept_[0]),
}
with open(f"server/src/test/resources/reference/lbfgs-{name}.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({k: out[k] for k in ("dataset", "alpha", "rows", "iterations", "bias")}))

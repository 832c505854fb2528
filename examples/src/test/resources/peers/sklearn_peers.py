"""scikit-learn on the same data, in the same run, for the benchmark's peer tables (io.chimera.examples.PeersBenchmark).

Usage: sklearn_peers.py DATASET_DIR WARMUPS REPEATS N_JOBS

DATASET_DIR is a dataset in chimera's layout (chimera_train_data/w*/X_train.csv, y_train.csv, X_test.csv,
y_test.csv); the training rows are all the workers' files together. Each estimator is fitted WARMUPS times untimed,
then REPEATS times timed (the fit call alone: the data is already in memory, as it is in chimera's workers). The
last fit is scored on the holdout. One JSON object per line on stdout, one per estimator:
{"system": ..., "seconds": [...], "auc": ..., "accuracy": ..., "n_iter": ...}.
"""

import glob
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import BaggingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier


def load(folder):
    parts = sorted(glob.glob(os.path.join(folder, "chimera_train_data", "w*")))
    x = pd.concat([pd.read_csv(os.path.join(p, "X_train.csv")) for p in parts]).to_numpy(dtype=np.float64)
    y = pd.concat([pd.read_csv(os.path.join(p, "y_train.csv")) for p in parts]).to_numpy(dtype=np.float64).ravel()
    x_test = pd.read_csv(os.path.join(folder, "X_test.csv")).to_numpy(dtype=np.float64)
    y_test = pd.read_csv(os.path.join(folder, "y_test.csv")).to_numpy(dtype=np.float64).ravel()
    return x, y, x_test, y_test


def iterations(model):
    last = model[-1] if hasattr(model, "steps") else model
    n = getattr(last, "n_iter_", None)
    if n is None:
        return None
    return int(np.max(n))


def main():
    folder, warmups, repeats, n_jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x, y, x_test, y_test = load(folder)
    tree = dict(max_depth=5, max_leaf_nodes=15)
    estimators = [
        ("scikit-learn LogisticRegression(lbfgs), standardised",
         lambda: make_pipeline(StandardScaler(), LogisticRegression(solver="lbfgs"))),
        ("scikit-learn SGDClassifier(log_loss), standardised",
         lambda: make_pipeline(StandardScaler(), SGDClassifier(loss="log_loss", random_state=0))),
        ("scikit-learn BaggingClassifier(4 trees), n_jobs=%d" % n_jobs,
         lambda: BaggingClassifier(DecisionTreeClassifier(**tree), n_estimators=4, n_jobs=n_jobs, random_state=0)),
        ("scikit-learn RandomForestClassifier(4 trees), n_jobs=%d" % n_jobs,
         lambda: RandomForestClassifier(n_estimators=4, n_jobs=n_jobs, random_state=0, **tree)),
    ]
    print(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__,
                      "python": sys.version.split()[0], "rows": int(x.shape[0])}), flush=True)
    for name, make in estimators:
        seconds = []
        model = None
        for run in range(warmups + repeats):
            model = make()
            t0 = time.perf_counter()
            model.fit(x, y)
            elapsed = time.perf_counter() - t0
            if run >= warmups:
                seconds.append(elapsed)
        p = model.predict_proba(x_test)[:, 1]
        print(json.dumps({"system": name, "seconds": seconds, "auc": float(roc_auc_score(y_test, p)),
                          "accuracy": float(accuracy_score(y_test, (p >= 0.5).astype(float))),
                          "n_iter": iterations(model)}), flush=True)


if __name__ == "__main__":
    main()

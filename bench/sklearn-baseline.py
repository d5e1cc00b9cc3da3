"""scikit-learn's reference models on one train/test split that bench/model-quality.ts wrote.

Usage: python3 bench/sklearn-baseline.py SPEC.json
SPEC: {"train": csv, "test": csv, "target": column, "positive": value, "idColumn": column or null, "out": csv}
Writes OUT with one row per test row: the churn probability of HistGradientBoostingClassifier and of
LogisticRegression, both with scikit-learn's default settings. A column is numeric when every
non-blank value parses as a number (blanks are missing); every other column is categorical:
  hgb: categories ordinal-encoded and declared as categorical_features (native categorical support),
       missing values left to the model;
  lr:  numeric columns median-imputed and standard-scaled, categorical columns one-hot encoded.
Only the Python standard library, numpy and scikit-learn (Debian's python3-sklearn).
"""

import csv
import json
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    header, train = read_rows(spec["train"])
    test_header, test = read_rows(spec["test"])
    if test_header != header:
        raise SystemExit("train and test files have different headers")
    target = header.index(spec["target"])
    skipped = {target} | ({header.index(spec["idColumn"])} if spec["idColumn"] else set())
    features = [j for j in range(len(header)) if j not in skipped]
    numeric = [j for j in features if all(row[j].strip() == "" or is_number(row[j]) for row in train + test)]
    categorical = [j for j in features if j not in numeric]

    def matrix(rows):
        num = np.array([[float(row[j]) if row[j].strip() else np.nan for j in numeric] for row in rows], dtype=float).reshape(len(rows), len(numeric))
        cat = np.array([[row[j].strip() for j in categorical] for row in rows], dtype=object).reshape(len(rows), len(categorical))
        return num, cat

    y = np.array([1 if row[target].strip() == spec["positive"] else 0 for row in train])
    train_num, train_cat = matrix(train)
    test_num, test_cat = matrix(test)
    n_num = len(numeric)

    ordinal = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan)
    hgb_train = np.hstack([train_num, ordinal.fit_transform(train_cat)]) if categorical else train_num
    hgb_test = np.hstack([test_num, ordinal.transform(test_cat)]) if categorical else test_num
    is_categorical = np.array([False] * n_num + [True] * len(categorical))
    hgb = HistGradientBoostingClassifier(categorical_features=is_categorical if categorical else None)
    hgb_p = hgb.fit(hgb_train, y).predict_proba(hgb_test)[:, 1]

    scale = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    lr_train = np.hstack([scale.fit_transform(train_num), one_hot.fit_transform(train_cat)]) if categorical else scale.fit_transform(train_num)
    lr_test = np.hstack([scale.transform(test_num), one_hot.transform(test_cat)]) if categorical else scale.transform(test_num)
    lr_p = LogisticRegression().fit(lr_train, y).predict_proba(lr_test)[:, 1]

    with open(spec["out"], "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["hgb", "lr"])
        out.writerows([[repr(float(a)), repr(float(b))] for a, b in zip(hgb_p, lr_p)])


if __name__ == "__main__":
    main()

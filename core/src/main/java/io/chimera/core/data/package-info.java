/**
 * Training data for workers: an immutable, row-major numeric {@link io.chimera.core.data.Dataset}, a
 * streaming loader for chimera's CSV layout ({@code X_train.csv} with one column per feature and
 * {@code y_train.csv} with one label column, both with a header row), bootstrap sampling for bagging, and
 * per-worker seeds derived from one base seed so that every worker draws a different but reproducible
 * stream.
 */
package io.chimera.core.data;

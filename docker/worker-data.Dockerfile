# One worker's image: the shared image plus its chimera_train_data/<name>/ files, read from /chimera/data
# (CHIMERA_TRAIN_DATA_DIR). One small layer per worker on top of the shared ones.
ARG CHIMERA_SHARED_IMAGE
FROM ${CHIMERA_SHARED_IMAGE}
COPY data/ /chimera/data/

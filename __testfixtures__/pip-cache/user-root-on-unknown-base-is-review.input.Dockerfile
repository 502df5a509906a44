FROM registry.example.com/ml/ray:2.9
USER root
RUN uv pip install --no-cache --system ray[train]

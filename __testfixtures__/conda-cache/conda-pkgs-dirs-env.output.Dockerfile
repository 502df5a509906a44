FROM ubuntu:22.04
ENV CONDA_PKGS_DIRS=/var/cache/conda-pkgs
RUN --mount=type=cache,target=/var/cache/conda-pkgs,sharing=locked \
    conda create -y -n app python=3.11

FROM ubuntu:22.04
ENV CONDA_PKGS_DIRS=/var/cache/conda-pkgs
RUN conda create -y -n app python=3.11

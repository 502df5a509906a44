FROM condaforge/miniforge3
RUN --mount=type=cache,target=/opt/conda/pkgs,sharing=locked \
    mamba install -y -c conda-forge numpy pandas

FROM condaforge/miniforge3
RUN mamba install -y -c conda-forge numpy pandas

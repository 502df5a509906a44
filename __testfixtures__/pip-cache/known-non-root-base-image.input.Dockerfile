FROM jupyter/base-notebook:2024-01-01
RUN pip install --no-cache-dir altair

FROM ubuntu:22.04
ENV PATH=/opt/miniconda/bin:$PATH
RUN conda install -y numpy

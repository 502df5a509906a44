FROM python:3.13-slim
RUN pip install flask sqlalchemy requests
RUN pip install --no-cache-dir flask sqlalchemy requests \ \
RUN rm -rf /root/.cache/pip

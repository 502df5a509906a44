FROM python:3.12
RUN <<EOF
set -eux
pip install --no-cache-dir flask
pip cache purge
EOF

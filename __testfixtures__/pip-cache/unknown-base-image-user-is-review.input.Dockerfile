FROM registry.example.com/team/python-base:3
RUN pip install --no-cache-dir flask

FROM python:3.12
WORKDIR /app
COPY . .
RUN PIP_CONSTRAINT=constraints.txt pip install -r requirements.txt

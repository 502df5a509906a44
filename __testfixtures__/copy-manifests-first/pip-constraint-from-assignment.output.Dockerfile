FROM python:3.12
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN PIP_CONSTRAINT=constraints.txt pip install -r requirements.txt
COPY . .

FROM python:3.12
WORKDIR /app
COPY . .
RUN python setup_env.py
RUN pip install -r requirements.txt

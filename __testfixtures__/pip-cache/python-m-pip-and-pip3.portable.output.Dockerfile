FROM python:3.12
RUN python3 -m pip install --no-cache-dir --upgrade pip && pip3 install --no-cache-dir -r requirements.txt

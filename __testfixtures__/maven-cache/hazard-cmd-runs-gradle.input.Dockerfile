FROM gradle:8-jdk21
COPY . .
RUN gradle build
CMD ["gradle", "bootRun"]

FROM maven:3.9-eclipse-temurin-21
RUN mvn --version

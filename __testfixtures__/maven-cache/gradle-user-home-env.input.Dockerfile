FROM eclipse-temurin:17-jdk
ENV GRADLE_USER_HOME=/cache/gradle
COPY . .
RUN ./gradlew assemble

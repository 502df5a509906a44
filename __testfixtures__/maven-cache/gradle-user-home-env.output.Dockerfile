FROM eclipse-temurin:17-jdk
ENV GRADLE_USER_HOME=/cache/gradle
COPY . .
RUN --mount=type=cache,target=/cache/gradle/caches \
    --mount=type=cache,target=/cache/gradle/wrapper \
    ./gradlew assemble

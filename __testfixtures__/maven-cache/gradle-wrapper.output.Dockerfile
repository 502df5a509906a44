FROM eclipse-temurin:21-jdk
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.gradle/caches \
    --mount=type=cache,target=/root/.gradle/wrapper \
    ./gradlew build --no-daemon

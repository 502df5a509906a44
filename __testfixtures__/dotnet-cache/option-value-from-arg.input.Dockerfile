FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG TARGETARCH
WORKDIR /source
COPY *.csproj .
RUN dotnet restore -a $TARGETARCH
COPY . .
RUN dotnet publish -a $TARGETARCH -o /app

FROM mcr.microsoft.com/dotnet/runtime:8.0
COPY --from=build /app /app
ENTRYPOINT ["/app/app"]

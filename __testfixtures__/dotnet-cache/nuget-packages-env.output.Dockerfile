FROM mcr.microsoft.com/dotnet/sdk:8.0
ENV NUGET_PACKAGES=/nuget
COPY . .
RUN --mount=type=cache,target=/nuget \
    dotnet build -c Release

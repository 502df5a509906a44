FROM mcr.microsoft.com/dotnet/sdk:8.0
COPY . .
RUN dotnet build -c Release
RUN dotnet publish -c Release --no-build -o /app

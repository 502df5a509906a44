FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN curl -O https://example.com/tool.zip
RUN del tool.zip
RUN rm tool.zip

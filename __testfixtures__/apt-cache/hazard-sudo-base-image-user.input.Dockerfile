FROM some/image-with-a-non-root-user
RUN sudo apt-get update && sudo apt-get install -y curl

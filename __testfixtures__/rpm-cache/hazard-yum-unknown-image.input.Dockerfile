FROM internal.example.com/base/el:latest
RUN yum install -y java-17-openjdk-headless && yum clean all

FROM rockylinux:9
RUN yum install -y git
RUN yum clean all

from setuptools import setup
setup(long_description=open('../../README.md').read())

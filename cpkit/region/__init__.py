"""A region's (or the nation's) reports in one run on Dask: ``cpkit region`` (issue 21).

Every council's report exactly as ``cpkit report`` builds it alone, and one regional comparison worked from
the pooled returns. Modules: ``settings`` (region.yaml and the councils), ``graph`` (the Dask task graph,
faults and progress), ``pooled`` (the region's own figures and summed forecast), ``compare`` (the regional
comparison document and workbook).
"""
